/** Tests of the server's logging configuration. */
package io.mom.server.logging;
