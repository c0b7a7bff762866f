package io.xen4j.hal.memory;

/**
 * A {@code XENPF_set_processor_pminfo} upload the simulated host received, for tests of the ACPI
 * driver to decode with the ABI flyweights. Immutable: the byte arrays are copied in and out.
 */
public final class PmUpload {
    private final int domid;
    private final int acpiId;
    private final int type;
    private final byte[] pminfo;
    private final byte[] states;

    PmUpload(final int domid, final int acpiId, final int type, final byte[] pminfo, final byte[] states) {
        this.domid = domid;
        this.acpiId = acpiId;
        this.type = type;
        this.pminfo = pminfo.clone();
        this.states = states.clone();
    }

    /**
     * The uploading domain.
     *
     * @return the domain id
     */
    public int domid() {
        return domid;
    }

    /**
     * The ACPI processor id ({@code id}).
     *
     * @return the id
     */
    public int acpiId() {
        return acpiId;
    }

    /**
     * The upload's type.
     *
     * @return {@code XEN_PM_CX}, {@code XEN_PM_PX} or {@code XEN_PM_PDC}
     */
    public int type() {
        return type;
    }

    /**
     * A copy of the {@code xenpf_set_processor_pminfo} bytes.
     *
     * @return the bytes
     */
    public byte[] pminfo() {
        return pminfo.clone();
    }

    /**
     * A copy of the array its guest handle pointed to.
     *
     * @return the bytes
     */
    public byte[] states() {
        return states.clone();
    }

    @Override
    public String toString() {
        return "PmUpload(dom" + domid + ", ACPI id " + Integer.toUnsignedString(acpiId) + ", type " + type + ", "
            + pminfo.length + "+" + states.length + " bytes)";
    }
}
