/** The firms area of the storage interface (src/db/store/index.ts). */

// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface FirmReads {}
// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface FirmWrites {}
// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface FirmStatements {}
