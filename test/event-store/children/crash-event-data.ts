/** The data the crash writer stores for an event id, so the test can check it byte for byte. */
export function crashEventData(id: string): { id: string; body: string } {
  // One event in 16 is large (~40 KB), so that torn writes span several pages.
  const size = id.startsWith('f') ? 40_000 : 200;
  return { id, body: id.repeat(Math.ceil(size / id.length)).slice(0, size) };
}
