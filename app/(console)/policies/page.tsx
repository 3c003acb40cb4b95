import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Policies" };

export default function PoliciesPage() {
  return (
    <>
      <PageHeader
        title="Policies"
        description="What your agents may call: allow, deny, rate-limit, require a person's approval, or constrain arguments."
      />
      <EmptyState title="No policies yet">
        <p>
          A policy belongs to a server. Once a server is registered, its policy will be edited here, visually or as
          JSON, with every saved version kept so you can compare and roll back.
        </p>
        <NotBuiltYet feature="writing policies" />
      </EmptyState>
    </>
  );
}
