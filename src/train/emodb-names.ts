/**
 * EMO-DB file names (Burkhardt et al., 2005, "A Database of German Emotional Speech"): `03a01Fa.wav` is speaker
 * `03`, text `a01`, emotion `F` (the 6th character, a German initial), version `a`.
 */

/** The emotion codes in msse's fixed class order; the order of a model's output classes for EMO-DB. */
const EMODB_CODES: readonly (readonly [code: string, label: string])[] = [
  ['W', 'anger'], // Wut
  ['L', 'boredom'], // Langeweile
  ['E', 'disgust'], // Ekel
  ['A', 'fear'], // Angst
  ['F', 'happiness'], // Freude
  ['T', 'sadness'], // Trauer
  ['N', 'neutral'],
];

/** The seven EMO-DB labels in class order: anger, boredom, disgust, fear, happiness, sadness, neutral. */
export const EMODB_LABELS: readonly string[] = EMODB_CODES.map(([, label]) => label);

/** Index of the emotion character in a file name. */
const CODE_INDEX = 5;

/** What an EMO-DB name says, or why it cannot be read as one. */
export type EmodbName = { ok: true; label: number; speaker: string } | { ok: false; reason: string };

/** Reads the class index (into EMODB_LABELS) and speaker from an EMO-DB file name (no folder). */
export function parseEmodbName(fileName: string): EmodbName {
  const code = fileName.charAt(CODE_INDEX);
  const label = EMODB_CODES.findIndex(([c]) => c === code);
  if (label >= 0 && fileName.length > CODE_INDEX + 1) return { ok: true, label, speaker: fileName.slice(0, 2) };
  const found = fileName.length > CODE_INDEX + 1 ? `unknown EMO-DB emotion code '${code}' (6th character)` : 'name too short for an EMO-DB name';
  const expected = EMODB_CODES.map(([c, l]) => `${c} (${l})`).join(', ');
  return { ok: false, reason: `${found}; expected one of ${expected}, or a labels.csv in the folder` };
}
