/** The client API's peer: a minimal express 5 app doing the validation's lookup. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { ready, setting } from "./ipc.ts";
import { validationLookup } from "./lookup.ts";

const lookup = validationLookup(setting("BENCH_DATABASE_PATH"));
const app = express();
app.post("/api/v1/validations", (req, res) => {
  const { status, code } = lookup(req.headers.authorization);
  res.status(status).json({ code });
});
const server = createServer(app);
server.listen(0, "127.0.0.1", () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
