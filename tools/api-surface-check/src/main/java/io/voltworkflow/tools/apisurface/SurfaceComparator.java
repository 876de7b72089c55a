package io.voltworkflow.tools.apisurface;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares every type declared in the surface with the type of the same name upstream. The surface may declare
 * fewer members and fewer direct supertypes than upstream (a plugin compiled against a subset compiles against
 * the whole), but everything it declares must be declared upstream, in the same type, with the same kind,
 * type parameters, parameter types, return or field type, static / abstract / final / visibility and throws.
 */
final class SurfaceComparator {

    private final SourceTree surface;
    private final SourceTree upstream;
    private int typesChecked;
    private int membersChecked;

    SurfaceComparator(SourceTree surface, SourceTree upstream) {
        this.surface = surface;
        this.upstream = upstream;
    }

    record Report(int typesChecked, int membersChecked, List<Mismatch> mismatches) {
        boolean clean() {
            return mismatches.isEmpty();
        }
    }

    Report compare() {
        List<Mismatch> mismatches = new ArrayList<>();
        for (CompilationUnit unit : surface.allUnits()) {
            for (TypeDeclaration<?> type : unit.getTypes()) {
                compareType(unit, type, mismatches);
            }
        }
        return new Report(typesChecked, membersChecked, List.copyOf(mismatches));
    }

    private void compareType(CompilationUnit unit, TypeDeclaration<?> declared, List<Mismatch> mismatches) {
        typesChecked++;
        TypeShape mine = new ShapeReader(surface, unit).read(declared);
        Optional<TypeDeclaration<?>> theirs = upstream.find(mine.name());
        if (theirs.isEmpty()) {
            mismatches.add(new Mismatch(mine.name(), "type not found in the upstream sources"));
            return;
        }
        CompilationUnit upstreamUnit = theirs.get().findCompilationUnit().orElseThrow();
        TypeShape real = new ShapeReader(upstream, upstreamUnit).read(theirs.get());
        compareHeaders(mine, real, mismatches);
        for (MemberShape member : mine.members()) {
            membersChecked++;
            compareMember(mine.name(), member, real, mismatches);
        }
        for (String constant : mine.enumConstants()) {
            if (!real.enumConstants().contains(constant)) {
                mismatches.add(new Mismatch(mine.name() + "." + constant, "enum constant not declared upstream"));
            }
        }
        for (BodyDeclaration<?> member : declared.getMembers()) {
            if (member instanceof TypeDeclaration<?> nested) {
                compareType(unit, nested, mismatches);
            }
        }
    }

    private static void compareHeaders(TypeShape mine, TypeShape real, List<Mismatch> mismatches) {
        differs(mine.name(), "kind", mine.kind(), real.kind(), mismatches);
        differs(mine.name(), "modifiers", sorted(mine.modifiers()), sorted(real.modifiers()), mismatches);
        differs(mine.name(), "type parameters", mine.typeParameters(), real.typeParameters(), mismatches);
        for (String supertype : mine.supertypes()) {
            if (!real.supertypes().contains(supertype)) {
                mismatches.add(new Mismatch(mine.name(), "supertype " + supertype
                        + " is not a direct supertype upstream " + sorted(real.supertypes())));
            }
        }
    }

    private static void compareMember(String owner, MemberShape mine, TypeShape real, List<Mismatch> mismatches) {
        String where = owner + "#" + mine.key();
        Optional<MemberShape> match = real.members().stream()
                .filter(m -> m.kind().equals(mine.kind()) && m.key().equals(mine.key()))
                .findFirst();
        if (match.isEmpty() && mine.kind().equals(MemberShape.CONSTRUCTOR) && mine.parameterTypes().isEmpty()
                && real.members().stream().noneMatch(m -> m.kind().equals(MemberShape.CONSTRUCTOR))) {
            return; // the implicit default constructor
        }
        if (match.isEmpty()) {
            String candidates = real.members().stream()
                    .filter(m -> m.name().equals(mine.name()))
                    .map(MemberShape::key)
                    .collect(Collectors.joining("; "));
            mismatches.add(new Mismatch(where, "no such " + mine.kind() + " upstream"
                    + (candidates.isEmpty() ? "" : " (upstream declares: " + candidates + ")")));
            return;
        }
        MemberShape upstreamMember = match.get();
        differs(where, mine.kind().equals(MemberShape.FIELD) ? "type" : "return type",
                mine.type(), upstreamMember.type(), mismatches);
        differs(where, "modifiers", sorted(mine.modifiers()), sorted(upstreamMember.modifiers()), mismatches);
        differs(where, "type parameters", mine.typeParameters(), upstreamMember.typeParameters(), mismatches);
        differs(where, "throws", sorted(mine.thrown()), sorted(upstreamMember.thrown()), mismatches);
    }

    private static <T> void differs(String where, String what, T mine, T real, List<Mismatch> mismatches) {
        if (!mine.equals(real)) {
            mismatches.add(new Mismatch(where, what + ": surface " + mine + ", upstream " + real));
        }
    }

    private static Set<String> sorted(Set<String> values) {
        return values.stream().collect(Collectors.toCollection(TreeSet::new));
    }
}
