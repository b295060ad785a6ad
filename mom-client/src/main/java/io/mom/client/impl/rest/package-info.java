/**
 * The REST transport of the client (API v1, see the server's OpenAPI document): JSON over the JDK
 * {@link java.net.http.HttpClient}, problem+json errors mapped by code, push subscriptions over
 * Server-Sent Events. Not API.
 */
package io.mom.client.impl.rest;
