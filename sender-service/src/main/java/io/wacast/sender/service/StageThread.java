package io.wacast.sender.service;

import java.util.concurrent.locks.LockSupport;

/**
 * The one thread of a stage: started by the {@link SendEngine}, parked while the stage has nothing
 * to do, and woken (unparked) at once by the stage that gives it work.
 */
final class StageThread {

    private final String name;
    private final Runnable loop;
    private volatile Thread thread;

    StageThread(String name, Runnable loop) {
        this.name = name;
        this.loop = loop;
    }

    /** Creates the (daemon) thread; {@link #start} runs it. */
    void create() {
        Thread created = new Thread(loop, name);
        created.setDaemon(true);
        thread = created;
    }

    void start() {
        thread.start();
    }

    void wake() {
        Thread target = thread;
        if (target != null) {
            LockSupport.unpark(target);
        }
    }
}
