/**
 * Time signatures a spreadsheet turned into dates (`4-Apr`, `04-Apr`, `4-Mar`, `4-avr.`, `4. Mai` …)
 * turned back into `4/4`, `3/4` …: every time signature in the file has 4 as its denominator, so
 * the date's two numbers say which it was. Written here because it is the file's own accident.
 */

/**
 * Month names as spreadsheets abbreviate them, lower case: English, and for the months a time
 * signature can turn into (January, March, April, May, the numerators 1, 3, 4, 5 over 4) also
 * French, German, Spanish, Italian, Portuguese and Dutch.
 */
const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  janv: 1,
  jän: 1,
  ene: 1,
  enero: 1,
  gen: 1,
  mars: 3,
  mär: 3,
  märz: 3,
  mrz: 3,
  mrt: 3,
  marzo: 3,
  avr: 4,
  abr: 4,
  april: 4,
  abril: 4,
  aprile: 4,
  mai: 5,
  mayo: 5,
  mag: 5,
  maio: 5,
  mei: 5,
};
const SPREADSHEET_DATE = /^\s*(\d{1,2})\.?[-/ ]?\s*(\p{L}{3,6})\.?\s*$|^\s*(\p{L}{3,6})\.?[-/ ]\s*(\d{1,2})\s*$/u;

/**
 * Turn a spreadsheet date back into the time signature it came from. Every time signature in the
 * file has 4 as its denominator, so of the date's two numbers (day and month, in either order)
 * one is 4 and the other is the numerator: `4-Apr` → `4/4`, `3-Apr` and `4-Mar` → `3/4`,
 * `4-May` → `5/4`, `4-Jan` → `1/4`. Month names of a few other languages are read too (`4-avr.`,
 * `04. Apr`, `4-abr`, `4-mai`). Returns null when the value is not such a date.
 * @example repairTimeSignature('04-Apr') // '4/4'
 */
export function repairTimeSignature(value: string): string | null {
  const match = SPREADSHEET_DATE.exec(value);
  if (!match) return null;
  const day = Number(match[1] ?? match[4]);
  const month = MONTHS[(match[2] ?? match[3]).toLowerCase()];
  if (!month) return null;
  if (month === 4) return `${day}/4`;
  if (day === 4) return `${month}/4`;
  return null;
}
