/** A plain notice that a feature is not in this version, so an empty page is never mistaken for a broken one. */
export function NotBuiltYet({ feature }: { feature: string }) {
  return (
    <p className="inline-flex items-center gap-2 rounded-full border border-amber-300 bg-amber-50 px-3 py-1 text-xs font-medium text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
      Not available yet: {feature} is not built in this version of Portcullis.
    </p>
  );
}
