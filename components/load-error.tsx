import { Alert } from "@/components/ui/alert";

/** A query that failed: what could not be loaded, why, and a way to try again. */
export function LoadError({ title, error, onRetry }: { title: string; error: Error; onRetry: () => void }) {
  return (
    <Alert tone="error" title={title}>
      {error.message}{" "}
      <button type="button" className="font-medium underline" onClick={onRetry}>
        Try again
      </button>
    </Alert>
  );
}
