// Runs once when a Next.js server starts. Under scripts/server.ts (`npm start`, `npm run dev`) the database and its
// migrations are already seen to; under `next start`, or a host that runs the app its own way, this does the same
// (lib/boot/boot-under-next.ts) before any request is served.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.PORTCULLIS_SERVER === "1") return;
  const { bootUnderNext } = await import("./lib/boot/boot-under-next");
  await bootUnderNext();
}
