import type { Metadata } from "next";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { PageHeader } from "@/components/page-header";
import { RegisterServerForm } from "@/components/servers/register-server-form";

export const metadata: Metadata = { title: "Register a server" };

export default function NewServerPage() {
  return (
    <>
      <Breadcrumbs items={[{ href: "/servers", label: "Servers" }, { label: "Register a server" }]} />
      <PageHeader
        title="Register a server"
        description="Portcullis connects to the server, lists every tool it offers and classifies each one's risk. Nothing is saved unless that works."
      />
      <RegisterServerForm />
    </>
  );
}
