/** The client-app area of the storage interface (src/db/store/index.ts). */

// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface ClientAppReads {}
// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface ClientAppWrites {}
// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface ClientAppStatements {}
