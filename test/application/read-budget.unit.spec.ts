import { ReadBudget } from '../../src/application/queries/read-budget';
import { InvalidInput } from '../../src/domain/domain.errors';

describe("a request's budget for correspondence", () => {
  it('refuses a read past what is left, and a refused read takes nothing from it', () => {
    const budget = new ReadBudget(10, 100);
    budget.reserve(6, 'comments');
    expect(() => budget.reserve(5, 'history')).toThrow(InvalidInput);
    budget.reserve(4, 'comments'); // the refused 5 took nothing: 4 still fit
    expect(() => budget.reserve(1, 'comments')).toThrow(
      /more than 10 comments and history events in all \(at comments\)/,
    );
    budget.spendText(60, 'comments');
    expect(() => budget.spendText(41, 'history')).toThrow(/more than 100 characters .*\(at history\)/);
    budget.spendText(40, 'history');
  });

  it('names the request as a whole, with what to ask instead', () => {
    try {
      new ReadBudget(0, 0).reserve(1, 'comments');
    } catch (error) {
      expect((error as InvalidInput).fields).toEqual([
        {
          path: '',
          message:
            "the request asks for more than 0 comments and history events in all (at comments); ask for fewer tickets' comments or history at once, or page them: comments(last:), history(fromRevision:, limit:)",
        },
      ]);
      return;
    }
    throw new Error('not refused');
  });
});
