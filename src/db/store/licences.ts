/** The licences area of the storage interface (src/db/store/index.ts). */

// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface LicenceReads {}
// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface LicenceWrites {}
// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface LicenceStatements {}
