import { SupplyLedgerError } from '../errors.ts';
import type { NodeKind, TraceNodeRef } from './trace.ts';

/** No lot, batch, pallet or shipment of the kinds asked for has the code. */
export class UnknownCodeError extends SupplyLedgerError {
  override readonly name = 'UnknownCodeError';

  constructor(
    /** The code as given (TLC, batch number, SSCC, pallet number or tracking number). */
    readonly code: string,
    /** The kinds of node the code was looked up among. */
    readonly kinds: readonly NodeKind[],
  ) {
    const names = kinds.map((kind) => kind.toLowerCase());
    const wanted = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
    super(`no ${wanted} has the code '${code}'`);
  }
}

/** More than one lot, batch or pallet has the code (a batch's TLC that is also another's number...). */
export class AmbiguousCodeError extends SupplyLedgerError {
  override readonly name = 'AmbiguousCodeError';

  constructor(
    readonly code: string,
    /** Every node the code names. */
    readonly matches: readonly TraceNodeRef[],
  ) {
    super(`'${code}' names ${matches.map((match) => `${match.kind.toLowerCase()} ${match.code}`).join(' and ')}; use a more specific code`);
  }
}
