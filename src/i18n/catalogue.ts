/**
 * The shape of the text catalogue (docs/architecture.md, "Texts"): each
 * section is a Spanish object, whose keys are the message ids, and its
 * English translation, which must have exactly the same keys. A text about a
 * number of things is a plural: one text per plural category of the
 * language (Intl.PluralRules), with the number in {count}.
 */
export interface Plural {
  one: string;
  other: string;
}

export type Section = Record<string, string | Plural>;

/** The English of a Spanish section: every id, no other, of the same kind (text or plural). */
export type Translation<T extends Section> = { [K in keyof T]: T[K] extends string ? string : Plural };
