/** The broker engine; not API. */
package io.mom.core.internal;
