import { z } from "@hono/zod-openapi";
import { TOKEN_TTL_SECONDS } from "../../auth/tokens";

export const CredentialsSchema = z
  .object({
    email: z.string().min(3).max(254).openapi({ example: "analyst@example.com" }),
    password: z.string().min(1).max(1024),
  })
  .openapi("Credentials");

export const TokenSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().openapi({ example: TOKEN_TTL_SECONDS }),
  })
  .openapi("Token");
