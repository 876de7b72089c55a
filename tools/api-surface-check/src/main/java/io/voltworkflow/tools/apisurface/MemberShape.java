package io.voltworkflow.tools.apisurface;

import java.util.List;
import java.util.Set;

/**
 * A constructor, method, field or annotation element. Two members are the same member when their
 * {@link #key() keys} (kind, name, parameter types) are equal; the rest must then agree.
 */
record MemberShape(
        String kind,
        String name,
        List<String> parameterTypes,
        String type,
        Set<String> modifiers,
        List<String> typeParameters,
        Set<String> thrown) {

    static final String CONSTRUCTOR = "constructor";
    static final String METHOD = "method";
    static final String FIELD = "field";

    MemberShape {
        parameterTypes = List.copyOf(parameterTypes);
        modifiers = Set.copyOf(modifiers);
        typeParameters = List.copyOf(typeParameters);
        thrown = Set.copyOf(thrown);
    }

    String key() {
        return kind.equals(FIELD) ? name : name + "(" + String.join(", ", parameterTypes) + ")";
    }
}
