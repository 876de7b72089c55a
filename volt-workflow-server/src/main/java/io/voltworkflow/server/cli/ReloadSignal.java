package io.voltworkflow.server.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.jspecify.annotations.Nullable;

/**
 * SIGHUP reloads the configuration of {@code serve}, as daemons do. Closing restores the previous handler. Where the
 * platform has no SIGHUP (Windows), reloading is left to {@code POST /api/v1/admin/reload}.
 *
 * <p>The JDK's only signal API is {@code sun.misc.Signal}, which the {@code jdk.unsupported} module exports for
 * exactly this use. It is reached by reflection because javac warns about every compile-time reference to it, and
 * has no switch that silences that warning alone; the build keeps javac free of warnings.
 */
final class ReloadSignal implements AutoCloseable {
    private static final @Nullable SignalApi HUP = SignalApi.hangUp();

    private final @Nullable Object previous;

    private ReloadSignal(@Nullable Object previous) {
        this.previous = previous;
    }

    static ReloadSignal install(Runnable reload) {
        return new ReloadSignal(HUP == null ? null : HUP.handle(HUP.handlerRunning(reload)));
    }

    @Override
    public void close() {
        if (HUP != null && previous != null) {
            HUP.handle(previous);
        }
    }

    /** {@code sun.misc.Signal} for one signal: {@code handle(signal, handler)} and a handler made of a Runnable. */
    private record SignalApi(Object signal, Method handle, Class<?> handlerType) {
        /** SIGHUP, or null where the platform has none or the JDK lacks {@code jdk.unsupported}. */
        static @Nullable SignalApi hangUp() {
            try {
                Class<?> signalType = Class.forName("sun.misc.Signal");
                Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
                Object signal = signalType.getConstructor(String.class).newInstance("HUP");
                return new SignalApi(signal, signalType.getMethod("handle", signalType, handlerType), handlerType);
            } catch (ReflectiveOperationException | LinkageError unavailable) {
                // The constructor throws IllegalArgumentException (wrapped) where the platform has no SIGHUP.
                return null;
            }
        }

        /** Installs {@code handler}; returns the one it replaces. */
        Object handle(Object handler) {
            try {
                return handle.invoke(null, signal, handler);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot handle SIGHUP: " + e.getCause(), e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot handle SIGHUP: " + e, e);
            }
        }

        Object handlerRunning(Runnable action) {
            return Proxy.newProxyInstance(
                    ReloadSignal.class.getClassLoader(), new Class<?>[] {handlerType}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "handle" -> action.run();
                            case "equals" -> {
                                return proxy == args[0];
                            }
                            case "hashCode" -> {
                                return System.identityHashCode(proxy);
                            }
                            case "toString" -> {
                                return "reload on SIGHUP";
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
        }
    }
}
