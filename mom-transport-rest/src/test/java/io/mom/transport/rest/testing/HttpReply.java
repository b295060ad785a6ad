package io.mom.transport.rest.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.net.http.HttpHeaders;

/** A response as tests look at it. */
public record HttpReply(int status, HttpHeaders headers, String body) {

    public JsonElement json() {
        return JsonParser.parseString(body);
    }

    public JsonObject obj() {
        return json().getAsJsonObject();
    }

    public JsonArray array(String member) {
        return obj().getAsJsonArray(member);
    }

    public String str(String member) {
        return obj().get(member).getAsString();
    }

    /** The problem code of an error response. */
    public String code() {
        return obj().get("code").getAsString();
    }

    public String contentType() {
        return headers.firstValue("content-type").orElse("");
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
