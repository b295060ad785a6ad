package io.mom.server.cluster;

import com.auth0.jwt.JWT;
import com.auth0.jwt.exceptions.JWTDecodeException;
import io.mom.cluster.ZkMetadata;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.auth.Authenticator;

import java.time.Clock;

/**
 * The authenticator of a cluster node. User tokens are checked by the node's JWT authenticator (same
 * signing key on every node) and, in addition, against the revocations kept in ZooKeeper, so a logout
 * on any node rejects the token on all. Peer tokens ({@link PeerToken}) of forwarded calls are
 * accepted as the user they name; when the cluster runs TLS, only on a connection whose client
 * presented a trusted certificate ({@link PeerTls}), so a stolen cluster secret alone does not let a
 * client act as a node. Until {@link #bind} (the node has joined), everything is
 * {@code UNAVAILABLE}. Thread-safe.
 */
final class ClusterAuthenticator implements Authenticator {
    private final Clock clock;
    private volatile Authenticator users;
    private volatile ZkMetadata metadata;
    private volatile PeerToken peers;
    private volatile PeerTls tls = PeerTls.off();

    ClusterAuthenticator(Clock clock) {
        this.clock = clock;
    }

    void bind(Authenticator jwt, ZkMetadata zk, PeerToken peerTokens, PeerTls peerTls) {
        this.metadata = zk;
        this.peers = peerTokens;
        this.tls = peerTls;
        this.users = jwt;
    }

    private Authenticator users() {
        Authenticator a = users;
        if (a == null) {
            throw new MomException(ErrorCode.UNAVAILABLE, "the node has not joined its cluster yet");
        }
        return a;
    }

    @Override
    public Session login(String username, String password) {
        return users().login(username, password);
    }

    @Override
    public Identity verify(String token) {
        Authenticator a = users();
        if (PeerToken.looksLikePeerToken(token)) {
            tls.checkCaller();
            return peers.verify(token).orElseThrow(() -> new MomException(ErrorCode.UNAUTHORIZED,
                    "invalid or expired token"));
        }
        Identity identity = a.verify(token);
        String id;
        try {
            id = JWT.decode(token).getId();
        } catch (JWTDecodeException e) {
            throw new MomException(ErrorCode.UNAUTHORIZED, "invalid or expired token");
        }
        if (id != null && metadata.isRevoked(id, clock.instant())) {
            throw new MomException(ErrorCode.UNAUTHORIZED, "the token has been revoked");
        }
        return identity;
    }

    @Override
    public void logout(String token) {
        if (PeerToken.looksLikePeerToken(token)) {
            throw new MomException(ErrorCode.UNAUTHORIZED, "a node token cannot log out");
        }
        verify(token);
        users().logout(token);
    }
}
