package io.mom.core.memory;

import io.mom.core.spi.MessageStore;
import io.mom.core.testing.MessageStoreContractTest;

class InMemoryMessageStoreTest extends MessageStoreContractTest {
    private InMemoryMessageStore instance;

    @Override
    protected MessageStore open() {
        instance = new InMemoryMessageStore();
        return instance;
    }

    @Override
    protected MessageStore reopen() {
        return instance;
    }
}
