// The protocol's closed lists and numeric limits as plain values: no zod here, so the browser
// client can import them without bundling the schema library. The schemas are built from these.

/** The supportive reactions of §5. */
export const REACTIONS = ['❤️', '👏', '🙏', '💪', '🤗'] as const;
export type Reaction = (typeof REACTIONS)[number];
/** Why a member reports a message (§5 `report`). */
export const REPORT_REASONS = ['harassment', 'crisis', 'spam', 'privacy', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
/** `mod:mute` minutes; no minutes means until unmuted. */
export const MUTE_MINUTES = { min: 1, max: 1440 } as const;
/** `mod:slowmode` seconds; 0 turns slow mode off. */
export const SLOW_MODE_SECONDS = { min: 0, max: 300 } as const;
/** A partner check-in's mood and craving scales (§6). */
export const CHECKIN_MOOD = { min: 1, max: 5 } as const;
export const CHECKIN_CRAVING = { min: 0, max: 10 } as const;
/** Notes on reports, invites and check-ins, after normalising. */
export const MAX_NOTE_CHARS = 500;
/** Days of the week as a schedule names them (§5.6), Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** A weekly slot's and an extension's minutes (§5.6). */
export const SESSION_MINUTES = { min: 5, max: 720 } as const;
export const EXTEND_MINUTES = { min: 5, max: 120 } as const;
