import Decimal from 'decimal.js';

// Wide enough that token counts times numeric(30,12) prices are never rounded before the final step;
// half-up matches how Postgres rounds numeric.
const ExactDecimal = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });

/** executions.cost_usd is numeric(30,15). */
const COST_DECIMAL_PLACES = 15;

export function exactDecimal(value: Decimal.Value): Decimal {
  return new ExactDecimal(value);
}

/** Plain notation without trailing zeros: 1.25e-7 becomes "0.000000125", "2.500000000000" becomes "2.5". */
export function toPlainDecimal(value: Decimal.Value): string {
  return exactDecimal(value).toFixed();
}

export function toCostString(value: Decimal): string {
  return value.toDecimalPlaces(COST_DECIMAL_PLACES).toFixed();
}

export function sameAmount(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return exactDecimal(a).equals(b);
}
