import { SupplyLedgerError } from '../errors.ts';

/** No product of the client the connection works for has the id. */
export class UnknownProductError extends SupplyLedgerError {
  override readonly name = 'UnknownProductError';

  constructor(
    /** The product id as given. */
    readonly productId: string,
  ) {
    super(`no product ${productId} (of the client this connection works for)`);
  }
}
