package io.mom.client.impl;

import io.mom.client.MomClient;
import io.mom.client.Session;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SessionKeeperTest {

    @Test
    void callsMadeWhileTheLoginIsUnderWayStartInTheOrderTheyWereMade() {
        CompletableFuture<Session> login = new CompletableFuture<>();
        Transport transport = (Transport) Proxy.newProxyInstance(Transport.class.getClassLoader(),
                new Class<?>[]{Transport.class}, (proxy, method, args) -> {
                    if (method.getName().equals("login")) {
                        return login;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        SessionKeeper keeper = new SessionKeeper(transport,
                MomClient.builder().url("grpc://h:1").credentials("u", "p").options(), Clock.systemUTC());
        List<Integer> started = new ArrayList<>();
        List<CompletableFuture<Integer>> calls = IntStream.range(0, 1000).mapToObj(i -> keeper.call(token -> {
            synchronized (started) {
                started.add(i);
            }
            return CompletableFuture.completedFuture(i);
        })).toList();
        assertThat(started).isEmpty();

        login.complete(new Session("t", Instant.MAX));
        CompletableFuture<Integer> after = keeper.call(token -> {
            synchronized (started) {
                started.add(1000);
            }
            return CompletableFuture.completedFuture(1000);
        });

        assertThat(calls).allMatch(CompletableFuture::isDone);
        assertThat(after).isCompletedWithValue(1000);
        assertThat(started).containsExactlyElementsOf(IntStream.rangeClosed(0, 1000).boxed().toList());
    }
}
