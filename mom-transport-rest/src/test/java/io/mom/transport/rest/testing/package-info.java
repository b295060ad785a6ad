/** Test helpers shared by the REST and server tests: an HTTP client of the API and an SSE reader. */
package io.mom.transport.rest.testing;
