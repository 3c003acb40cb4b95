// Who is making an API request, once authenticated.
export interface Caller {
  userId: string;
  email: string;
  workspaceId: string;
  via: "session" | "token";
  tokenId?: string;
}
