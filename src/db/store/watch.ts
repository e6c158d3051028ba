/** The watch area of the storage interface (src/db/store/index.ts). */

// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface WatchReads {}
// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface WatchWrites {}
// biome-ignore lint/suspicious/noEmptyInterface: filled as the area moves to the unit-of-work shape
export interface WatchStatements {}
