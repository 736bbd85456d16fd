/** The GraphQL API suite on the embedded stores: a fresh temporary DATA_DIR per app. */
import { describeGraphqlApi } from './graphql-api.suite';
import { makeDataDir, removeDataDir } from './support/test-app';

const dataDirs: string[] = [];

afterAll(() => {
  for (const dir of dataDirs) removeDataDir(dir);
});

describeGraphqlApi('embedded stores', async () => {
  const dir = makeDataDir();
  dataDirs.push(dir);
  return { DATA_DIR: dir };
});
