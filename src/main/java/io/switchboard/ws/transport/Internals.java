package io.switchboard.ws.transport;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * Looks up, by name, a member of Quarkus or Vert.x that is not public API. Each piece of the transport keeps the
 * handles it needs in static finals (the JIT folds them into the paths that use them), looked up through here;
 * {@link InternalsCheck} makes the same lookups as the application starts, so an upgrade that moved a member stops
 * the start with {@link Moved} naming it, instead of failing every connection later.
 */
final class Internals {

    private Internals() {
    }

    /** A private or package-private field of {@code owner}, read through a {@link VarHandle}. */
    static VarHandle field(Class<?> owner, String name, Class<?> type, Class<?> user) {
        try {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new Moved(owner.getName() + "." + name + " (a " + type.getName() + " field)", user, e);
        }
    }

    /** An instance method of a class that cannot be named at compile time (not public). */
    static MethodHandle method(String owner, String name, MethodType type, Class<?> user) {
        try {
            Class<?> ownerClass = Class.forName(owner, false, Internals.class.getClassLoader());
            return MethodHandles.privateLookupIn(ownerClass, MethodHandles.lookup())
                    .findVirtual(ownerClass, name, type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new Moved(owner + "." + name + " (a " + type + " method)", user, e);
        }
    }

    /** What the Quarkus or Vert.x in use no longer has where a piece of the transport reaches for it. */
    static final class Moved extends IllegalStateException {

        Moved(String member, Class<?> user, Throwable cause) {
            super("Quarkus or Vert.x moved what " + user.getName() + " reaches into: " + member + " is gone ("
                    + cause + "). Adapt " + user.getSimpleName() + " to the Quarkus and Vert.x in use.", cause);
        }
    }
}
