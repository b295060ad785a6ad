/**
 * Tests of what an operator runs: the documented settings, the systemd units and their environment file,
 * the install and certificate scripts, and the ZooKeeper configuration.
 */
package io.mom.server.deploy;
