package hudson;

import java.io.IOException;

public abstract class Proc {
    public abstract void kill() throws IOException, InterruptedException;

    public abstract int join() throws IOException, InterruptedException;
}
