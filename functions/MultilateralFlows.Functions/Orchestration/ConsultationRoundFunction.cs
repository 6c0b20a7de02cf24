using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Functions.Orchestration;

/// <summary>The round orchestrator as a function; the process itself is <see cref="ConsultationRound"/>.</summary>
public static class ConsultationRoundFunction
{
    [Function(nameof(ConsultationRound))]
    public static Task<RoundOutcome> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        ConsultationRound.RunAsync(context, context.GetInput<RoundInput>()!);
}
