/** Test support of the server module: external tools (promtool, node, Chromium) and running them. */
package io.mom.server.testing;
