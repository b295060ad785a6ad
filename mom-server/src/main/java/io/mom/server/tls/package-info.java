/** TLS from PEM files with the JDK only: certificate chains and RSA or EC private keys. */
package io.mom.server.tls;
