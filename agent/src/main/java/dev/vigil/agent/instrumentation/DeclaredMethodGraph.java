package dev.vigil.agent.instrumentation;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.scaffold.MethodGraph;

import java.util.ArrayList;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isVirtual;
import static net.bytebuddy.matcher.ElementMatchers.isVisibleTo;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * The method graph of a woven class: the virtual methods it declares, listed as they are. Byte Buddy's
 * {@code MethodGraph.Compiler.ForDeclaredMethods} lists the same methods, but keys each by its signature token,
 * which resolves the erasure of every parameter and return type of every method of every class woven: in the
 * start-up profile of the orders service, enough calls for the JIT to compile the type pool's erasure resolution
 * with C2 (≈ 0.25 s of compiler time). Advice only needs the list, to find the methods a class declares; a
 * look-up by signature, rare, is a linear scan.
 */
enum DeclaredMethodGraph implements MethodGraph.Compiler {
    INSTANCE;

    @Override
    public MethodGraph.Linked compile(TypeDefinition typeDefinition) {
        return compile(typeDefinition, typeDefinition.asErasure());
    }

    @Override
    public MethodGraph.Linked compile(TypeDescription typeDescription) {
        return compile(typeDescription, typeDescription);
    }

    @Override
    public MethodGraph.Linked compile(TypeDescription typeDescription, TypeDescription viewPoint) {
        return compile((TypeDefinition) typeDescription, viewPoint);
    }

    @Override
    public MethodGraph.Linked compile(TypeDefinition typeDefinition, TypeDescription viewPoint) {
        MethodList<?> methods = typeDefinition.getDeclaredMethods()
                .filter(isVirtual().and(not(isBridge())).and(isVisibleTo(viewPoint)));
        List<MethodGraph.Node> nodes = new ArrayList<>(methods.size());
        for (MethodDescription method : methods) {
            nodes.add(new MethodGraph.Node.Simple(method));
        }
        return new Declared(nodes);
    }

    private record Declared(List<MethodGraph.Node> nodes) implements MethodGraph.Linked {
        @Override
        public MethodGraph.Node locate(MethodDescription.SignatureToken token) {
            for (MethodGraph.Node node : nodes) {
                if (node.getRepresentative().asSignatureToken().equals(token)) {
                    return node;
                }
            }
            return MethodGraph.Node.Unresolved.INSTANCE;
        }

        @Override
        public MethodGraph.NodeList listNodes() {
            return new MethodGraph.NodeList(nodes);
        }

        @Override
        public MethodGraph getSuperClassGraph() {
            return MethodGraph.Empty.INSTANCE;
        }

        @Override
        public MethodGraph getInterfaceGraph(TypeDescription typeDescription) {
            return MethodGraph.Empty.INSTANCE;
        }
    }
}
