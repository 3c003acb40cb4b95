import type { Metadata } from "next";
import { Suspense } from "react";
import { ActivityView } from "@/components/activity/activity-view";
import { LoadingText } from "@/components/ui/loading-text";

export const metadata: Metadata = { title: "Activity" };

export default function ActivityPage() {
  return (
    // The filters live in the URL's search params, which are only known in the browser.
    <Suspense fallback={<LoadingText>Loading activity…</LoadingText>}>
      <ActivityView />
    </Suspense>
  );
}
