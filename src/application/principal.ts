import type { Role } from '../domain/ticket.types';

/** The authenticated caller, from the bearer token (runtime.md "Authentication"). */
export interface Principal {
  id: string;
  name: string | null;
  roles: Role[];
  validatorNumber: string | null;
}
