// Characters XML 1.0 forbids (and DEL and the C1 controls it discourages). Input with them is
// refused (src/shared/schemas.ts); text that arrives another way (model output, older rows) has
// them dropped before it becomes HTML or an EPUB file.

// C0 controls but tab, LF and CR; DEL and C1 controls; lone surrogates; U+FFFE and U+FFFF.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ufffe\\uffff]|[\\ud800-\\udfff]";
const ALL = new RegExp(FORBIDDEN, "gu");
const ANY = new RegExp(FORBIDDEN, "u");

/** `s` without the characters XML 1.0 forbids. */
export const xmlSafe = (s: string) => s.replace(ALL, "");

/** Whether `s` has any of them. */
export const hasForbiddenChars = (s: string) => ANY.test(s);
