"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Copies text to the clipboard and says so; falls back to selecting the text when the clipboard is refused. */
export function CopyButton({ value, label = "Copy", targetId }: { value: string; label?: string; targetId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      if (targetId) {
        const element = document.getElementById(targetId);
        if (element) window.getSelection()?.selectAllChildren(element);
      }
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2000);
  }
  return (
    <Button variant="secondary" size="sm" onClick={copy} aria-live="polite">
      {state === "copied" ? "Copied" : state === "failed" ? "Press Ctrl+C to copy" : label}
    </Button>
  );
}
