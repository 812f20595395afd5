/**
 * An independent model of the ledger's cost rules (docs/design/inventory-ledger.md), in exact integer
 * arithmetic: quantities in units of 0.0001, costs in 0.000001, values in 0.0001. It shares no
 * code with the database trigger; the property test replays the same movements through both.
 */

const COST_UNITS = 1_000_000n; // a cost of 1 is 1_000_000 cost units

/** Half up (away from zero for the non-negative values used here) of numerator / denominator. */
function roundedQuotient(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

export interface LevelState {
  /** Quantity, in units of 0.0001. */
  qty: bigint;
  /** Average cost, in units of 0.000001; null while unknown. */
  cost: bigint | null;
  sequence: number;
}

export interface Outcome {
  unitCost: bigint | null;
  qtyAfter: bigint;
  avgCostAfter: bigint | null;
  valueAfter: bigint | null;
  valueDelta: bigint | null;
  sequence: number;
}

export function emptyLevel(): LevelState {
  return { qty: 0n, cost: null, sequence: 0 };
}

/** Value in units of 0.0001 of `qty` (0.0001 units) at `cost` (0.000001 units), rounded half up. */
export function value(qty: bigint, cost: bigint | null): bigint | null {
  if (qty === 0n) return 0n;
  if (cost === null) return null;
  return roundedQuotient(qty * cost, COST_UNITS);
}

/**
 * Applies one movement to `level`. `cost` is the movement's own cost: an inbound cost, or for an
 * outbound at an original cost (return to supplier, reversal of an inbound) that cost; null for an
 * outbound at the average.
 */
export function apply(level: LevelState, quantity: bigint, cost: bigint | null): Outcome {
  const newQty = level.qty + quantity;
  if (newQty < 0n) throw new Error('model: negative stock');
  let newCost: bigint | null;
  let unitCost = cost;
  if (quantity > 0n) {
    if (cost === null) newCost = level.qty > 0n ? level.cost : null;
    else if (level.qty <= 0n || level.cost === null) newCost = cost;
    else newCost = roundedQuotient(level.qty * level.cost + quantity * cost, newQty);
  } else if (cost !== null && newQty > 0n && level.cost !== null) {
    const remaining = level.qty * level.cost + quantity * cost;
    newCost = roundedQuotient(remaining > 0n ? remaining : 0n, newQty);
  } else {
    newCost = level.cost;
    unitCost = cost ?? level.cost;
  }
  const before = value(level.qty, level.cost);
  const after = value(newQty, newCost);
  const outcome = {
    unitCost,
    qtyAfter: newQty,
    avgCostAfter: newCost,
    valueAfter: after,
    valueDelta: after === null || before === null ? null : after - before,
    sequence: level.sequence + 1,
  };
  level.qty = newQty;
  level.cost = newCost;
  level.sequence++;
  return outcome;
}

/** Parses a numeric PostgreSQL printed with `scale` decimals into units of 10^-scale. */
export function parseFixed(text: string | null, scale: number): bigint | null {
  if (text === null) return null;
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length !== scale) throw new Error(`expected ${scale} decimals in ${text}`);
  return BigInt(`${whole}${fraction}`);
}

/** `units` of 10^-scale as PostgreSQL prints a numeric of that scale. */
export function formatFixed(units: bigint | null, scale: number): string | null {
  if (units === null) return null;
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

export const formatQuantity = (units: bigint | null) => formatFixed(units, 4);
export const formatCost = (units: bigint | null) => formatFixed(units, 6);
export const formatValue = (units: bigint | null) => formatFixed(units, 4);
export const parseCost = (text: string | null) => parseFixed(text, 6);
