import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { PolicyOverview } from "@/components/policy/policy-overview";

export const metadata: Metadata = { title: "Policies" };

export default function PoliciesPage() {
  return (
    <>
      <PageHeader
        title="Policies"
        description="What your agents may call on each server: allow, deny, rate-limit, require a person's approval, or constrain arguments. Every save is a version you can compare and roll back."
      />
      <PolicyOverview />
    </>
  );
}
