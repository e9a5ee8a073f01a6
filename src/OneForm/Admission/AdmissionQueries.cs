using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Admission;

/// <summary>Admission requests as other modules' pages read them (the gatekeeper's to-do).</summary>
public static class AdmissionQueries
{
    /// <summary>Requests submitted and waiting for the gatekeeper's decision.</summary>
    public static Task<int> WaitingAsync(OneFormDbContext db) => db.AdmissionRequests.CountAsync(r => r.State == AdmissionState.Submitted);

    /// <summary>The department's requests the gatekeeper returned for changes.</summary>
    public static Task<int> ReturnedToAsync(OneFormDbContext db, int departmentId) =>
        db.AdmissionRequests.CountAsync(r => r.DepartmentId == departmentId && r.State == AdmissionState.Returned);
}
