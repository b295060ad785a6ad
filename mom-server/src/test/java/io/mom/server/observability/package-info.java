/**
 * Observability of a running server, end to end: metrics and statistics under a known workload, log
 * lines without secrets, the dashboard in a browser, and the deployment files.
 */
package io.mom.server.observability;
