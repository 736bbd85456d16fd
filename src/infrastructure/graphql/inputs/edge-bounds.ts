/**
 * Upper bounds the API enforces before a command is built. They only stop abuse (megabyte strings,
 * huge lists); the domain applies the real rules (§1–§3) and lists every bad field at once.
 */
export const EDGE = {
  /** Ids, logins, command ids. */
  id: 200,
  /** Codes, names, short form fields. */
  short: 1_000,
  /** Free text: descriptions, comments, solutions, reasons (the domain's limit is 10,000 after trimming). */
  text: 20_000,
  /** Items in a list. */
  list: 100,
} as const;
