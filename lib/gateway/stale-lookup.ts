/**
 * A lookup served from memory that the database no longer confirms: nothing was counted, recorded or forwarded, so
 * the request starts over from the database (handler.ts).
 */
export class StaleLookup extends Error {}
