/**
 * What the text of a manual move may not hold. It is recorded, and published to CRMs, as it is;
 * the API's stage route names the character it finds, and the projector refuses the same for any
 * other caller.
 *
 * The actor is one line beside the API key id ("jane@sales (api-key:ops)"), so a line break (C0
 * and C1 controls, U+2028, U+2029) could start a line of its own, and a bidi control (U+061C,
 * U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) could show the text after it reversed:
 * either could forge another "(api-key:...)". Joiners (U+200C, U+200D) stay accepted: some
 * scripts and emoji need them.
 */
export const REFUSED_IN_ACTOR = /[\p{Cc}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/**
 * The reason (the note) is free text in a person's words, so it keeps what a person writes: tabs,
 * line breaks (LF, CRLF, U+2028, U+2029), and the bidi marks of right-to-left text (U+061C,
 * U+200E, U+200F), which direct no text but their neighbours. It may not hold other control
 * characters (a lone CR returns to the start of the line, hiding what came before in a log or
 * terminal; ESC starts terminal sequences), nor the bidi embeddings, overrides and isolates
 * (U+202A to U+202E, U+2066 to U+2069): left open they reverse the text shown after the note,
 * such as the actor.
 */
export const REFUSED_IN_REASON = /(?!\r\n)[^\P{Cc}\t\n]|[\u202A-\u202E\u2066-\u2069]/u;
