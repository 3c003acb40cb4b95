import { redirect } from "next/navigation";
import { currentCaller } from "@/lib/auth/current-caller";

export default async function Home() {
  redirect((await currentCaller()) ? "/servers" : "/sign-in");
}
