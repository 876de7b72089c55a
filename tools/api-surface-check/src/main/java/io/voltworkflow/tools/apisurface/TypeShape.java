package io.voltworkflow.tools.apisurface;

import java.util.List;
import java.util.Set;

/** What the comparison looks at in one type declaration, with every type written canonically. */
record TypeShape(
        String name,
        String kind,
        Set<String> modifiers,
        List<String> typeParameters,
        Set<String> supertypes,
        List<MemberShape> members,
        Set<String> enumConstants,
        List<String> nestedTypes) {

    TypeShape {
        modifiers = Set.copyOf(modifiers);
        typeParameters = List.copyOf(typeParameters);
        supertypes = Set.copyOf(supertypes);
        members = List.copyOf(members);
        enumConstants = Set.copyOf(enumConstants);
        nestedTypes = List.copyOf(nestedTypes);
    }
}
