// Starts the telegram-test-api Bot API emulator on 127.0.0.1:PORT for the test suite.
"use strict";
const TelegramServer = require("telegram-test-api");

const port = Number(process.argv[2] || 9000);
const server = new TelegramServer({ port, host: "127.0.0.1", storeTimeout: 600 });
server.start().then(() => {
  process.stdout.write("ready\n");
});
const stop = () => server.stop().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
