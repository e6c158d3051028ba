/** The floor: a bare node:http server doing the validation's lookup (no framework at all). */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ready, setting } from "./ipc.ts";
import { validationLookup } from "./lookup.ts";

const lookup = validationLookup(setting("BENCH_DATABASE_PATH"));
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const { status, code } = lookup(req.headers.authorization);
    const body = JSON.stringify({ code });
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
